"""Pydantic shapes of the JSON API. Field order is the contract's key order."""

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from webapp.models import TWEET_MAX_CHARS
from webapp.text import has_visible_text

# Ids are 32-bit integers in the database; a larger one is refused, not overflowed.
DB_INT_MAX = 2**31 - 1
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 1024


def storable_text(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it up front rather than fail on insert.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class UserBase(BaseModel):
    email: EmailStr


class UserCreate(UserBase):
    password: str = Field(min_length=PASSWORD_MIN_CHARS, max_length=PASSWORD_MAX_CHARS)

    _storable = field_validator("password")(storable_text)


class User(UserBase):
    model_config = ConfigDict(from_attributes=True)
    email: str  # as stored; validated on the way in only
    id: int


class TweetBase(BaseModel):
    text: str = Field(min_length=1, max_length=TWEET_MAX_CHARS)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not has_visible_text(value):
            raise ValueError("Tweet text must have at least one visible character")
        return storable_text(value)


class TweetCreate(TweetBase):
    pass


class Tweet(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    text: str
    id: int
    owner_id: int


class LikeCreate(BaseModel):
    tweet_id: int = Field(ge=-DB_INT_MAX, le=DB_INT_MAX)


class Like(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    tweet_id: int
    id: int
    owner_id: int


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Message(BaseModel):
    detail: str
