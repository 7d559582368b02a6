"""The ASGI application object for uvicorn workers."""

from siaga.app import create_app

app = create_app()
