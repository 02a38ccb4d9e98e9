"""foodcam train: data (real formats + procedural), models, losses, metrics, training and evaluation."""
