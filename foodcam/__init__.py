"""foodcam: the `foodcam` command. Each package registers its own verbs; this file only dispatches."""

import os as _os

# No network at run time: albumentations asks PyPI for its latest version when imported unless told not to.
_os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
