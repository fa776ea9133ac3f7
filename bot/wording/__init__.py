"""Wording, the bottom layer: what the bot says and how texts are measured.

The reply catalog (replies/<language>.yml), SMS segment arithmetic (GSM-7 or
UCS-2) and the compliance notices every text may need. Pure text: nothing
here imports anything above it, so every layer may use it.
"""
