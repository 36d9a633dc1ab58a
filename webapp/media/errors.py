"""Why an upload was refused, in words a person can read. Routers pick the status."""

from webapp.crud.errors import DomainError


class MediaError(DomainError):
    message = "That file can't be used as an image"
    status = 422


class FileTooLarge(MediaError):
    status = 413


class NotAnImage(MediaError):
    message = "That file is not an image Chirp can read: use a JPEG, PNG, WebP or GIF"


class TooManyImages(MediaError):
    message = "A post can have at most 4 images"
