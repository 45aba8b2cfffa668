"""The web app's panels: one module per panel, each a function. Streamlit lives here and in app.py only."""
