from foodcam.cli import main

raise SystemExit(main())
