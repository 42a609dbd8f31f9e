"""Upload size limits, enforced while the request is read.

Django parses a multipart body when the CSRF check first reads `request.POST`: a 500 MB file
would be written to a temporary file before any view could look at its size. `upload_limit`
puts a handler in front that refuses every file part of a request larger than the limit (its
bytes are read and dropped, never stored) and marks the request, so that the view answers
with a clear message; the upload page also checks the size in the browser before sending
(static/billing/imports.js). In production the proxy's own limit (nginx
`client_max_body_size`) should sit a little above, so that it never answers first with an
English error page.
"""

from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the other form fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class UploadLimitHandler(FileUploadHandler):
    """Skips every file of a request whose body, or whose file, is larger than `max_bytes`;
    `request.upload_refused` is then True."""

    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False
        request.upload_refused = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > self.max_bytes + FORM_OVERHEAD

    def _refuse(self):
        self.request.upload_refused = True
        raise SkipFile

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        # The body's length can be missing (chunked) or lie: count the file's own bytes too.
        if start + len(raw_data) > self.max_bytes:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_limit(max_bytes):
    """View decorator: files larger than `max_bytes` (an int, or a callable read on each
    request, e.g. from settings) are refused while they are read. The view is still
    CSRF-protected: the handler has to be installed before the CSRF check reads the body,
    as Django's documentation on changing upload handlers describes."""

    def decorator(view):
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = max_bytes() if callable(max_bytes) else max_bytes
            request.upload_handlers.insert(0, UploadLimitHandler(request, limit))
            return protected(request, *args, **kwargs)

        return wrapped

    return decorator
