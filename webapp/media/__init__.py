"""Images people upload (issue 16): decode, clean and resize them, then store the files.

`pipeline` turns untrusted bytes into clean re-encoded images (or refuses them with a
MediaError), `blurhash` makes their placeholder, `storage` writes them to a folder or an
S3-compatible bucket. webapp/crud/media.py ties them to the database.
"""
