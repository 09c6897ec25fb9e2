"""A tiny WSGI app: GET / answers with a line of text naming the worker."""
import os


def app(environ, start_response):
    if environ.get("PATH_INFO", "/") != "/":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]
    body = f"hello from gunicorn worker {os.getpid()} under vigil\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
