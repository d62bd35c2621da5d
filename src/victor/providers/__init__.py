"""Model backends behind one contract (`base.py`); SDKs are imported only inside their own module."""
