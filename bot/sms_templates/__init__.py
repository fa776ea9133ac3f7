"""The dealer's own texts: SMS templates (Jinja2 in a sandbox), their variables
filled from an account, the shipped defaults per language, and the advice shown
before a text goes out (segments, encoding, warnings).

Below dialogue and messaging, which both speak with the dealer's words (a
receipt in the conversation, a reminder from the sender); above the store.
"""
