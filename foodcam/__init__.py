"""foodcam: the `foodcam` command. Each package registers its own verbs; this file only dispatches."""
