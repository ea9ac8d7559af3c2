"""The Streamlit glue: cached data access, sidebar filters, shared widgets. Only this package
(and the page files) import streamlit."""
