"""Official report documents: Indonesian formats, letterhead, signature block, PDF layout."""
