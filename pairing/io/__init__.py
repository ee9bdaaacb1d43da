"""The io layer: reading workbooks safely, writing plans atomically with text-only cells."""
