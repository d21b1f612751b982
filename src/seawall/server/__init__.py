"""The HTTP server: an ASGI application on uvicorn."""
