"""Fixity: the audit of an archive (``verify``) and its transfer package (``bag``), issue 23.

``refs`` (what the archive's rows say is where), ``audit`` (the checks and their PREMIS
events) and ``bag`` (a BagIt bag of the WARC files, the index, a WACZ, a copy of the
archive and the fixity log). The event log itself is the store's: ``store.fixity``.
"""
