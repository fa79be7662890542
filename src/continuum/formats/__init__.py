"""Outside files as their publishers save them: text encodings and workbooks, checked before
anything parses them."""
