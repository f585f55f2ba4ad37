"""motcua: one-stop shop (một cửa) software for Vietnamese police units and agencies."""
