"""The Streamlit app (`streamlit run app.py`): drawing, conversations, uploads, the page viewer.

A layer above the core: it uses `assistant` (asking) and `ingest` (building, the index's catalogue);
nothing in those imports it.
"""
