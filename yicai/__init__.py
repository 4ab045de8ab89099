"""医才 Yicai: the medical-talent chain (引育留用) of a health commission."""
