"""Stand-in for the supervisor-stdout plugin (pypi supervisor-stdout), so that
supervisord's own parser can import its result handler in the parity tests.
The real plugin's handler prints PROCESS_LOG event data to supervisord's stdout."""


def event_handler(event, response):
    line = response.decode() if isinstance(response, bytes) else response
    headers, data = line.split('\n', 1)
    print(headers, data)
