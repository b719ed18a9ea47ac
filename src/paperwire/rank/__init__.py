"""rank layer."""
