"""An upload handler that stops storing a file as soon as it passes the size limit.

Without it Django would spool a 2 GB upload to a temporary file before any check runs.
The bytes still have to be read off the socket (the proxy's body limit bounds that); they are
simply discarded, and the view reports the file as too large.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit = settings.ATTACHMENT_MAX_SIZE
        if request is not None:
            request.oversized_uploads = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                self.request.oversized_uploads.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
