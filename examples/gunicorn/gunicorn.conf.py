# gunicorn settings for the example (https://docs.gunicorn.org/en/stable/settings.html).
bind = "0.0.0.0:8000"
workers = 4
# Access and error log on stdout/stderr: vigil prefixes them with "web".
accesslog = "-"
errorlog = "-"
# On SIGTERM the master gives workers this long to finish their requests.
# vigil.conf's stopwaitsecs for [program:web] is set above it, and the
# container's stop timeout (docker stop -t, Kubernetes'
# terminationGracePeriodSeconds) must be above that.
graceful_timeout = 10
timeout = 30
