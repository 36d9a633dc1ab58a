"""Domain errors: what went wrong, in words a person can read. Routers pick the status."""


class DomainError(Exception):
    message = "Something went wrong"
    field: str | None = None

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class NotFound(DomainError):
    message = "Not found"


class EmailTaken(DomainError):
    message = "Email already registered"
    field = "email"


class UsernameTaken(DomainError):
    message = "That username is taken"
    field = "username"


class AlreadyLiked(DomainError):
    message = "You already liked this tweet"


class CannotFollowSelf(DomainError):
    message = "You cannot follow yourself"


class Forbidden(DomainError):
    message = "You can only change your own things"


class AccountUnavailable(Forbidden):
    """The password was right, but the account may not sign in (suspended, or waiting)."""

    message = "This account is suspended."


class RegistrationsClosed(Forbidden):
    message = "Sign-ups are closed on this server."


class WeakPassword(DomainError):
    message = "Password is too weak"
    field = "password"


class BlankTweet(DomainError):
    message = "A tweet needs at least one visible character"
    field = "text"


class CannotRepost(DomainError):
    message = "Only public and unlisted posts can be reposted"


class InvalidVisibility(DomainError):
    message = "Visibility must be public, unlisted, private or direct"
    field = "visibility"


class TweetTooLong(DomainError):
    message = "A tweet can have at most 280 characters"
    field = "text"


class InvalidPoll(DomainError):
    field = "poll"


class PollClosed(DomainError):
    message = "The poll has already ended"


class AlreadyVoted(DomainError):
    message = "You have already voted on this poll"


class Blocked(Forbidden):
    """A follow between two people when one of them blocked the other (issue 17)."""

    message = "You can't follow this account."
