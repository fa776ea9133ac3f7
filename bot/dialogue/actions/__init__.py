"""Custom actions, registered with rasa_sdk's executor by package scan."""
