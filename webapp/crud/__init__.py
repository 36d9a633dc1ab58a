"""The one data layer. Every route, HTML or JSON, goes through these functions.

They take a Session and plain values, never a Request; they raise the small
errors in `errors.py`, which each router turns into its own kind of answer.
"""

from webapp.crud.auth import authenticate, create_token, revoke_token, user_for_token
from webapp.crud.errors import (
    AccountUnavailable,
    AlreadyLiked,
    BlankTweet,
    CannotFollowSelf,
    DomainError,
    EmailTaken,
    Forbidden,
    NotFound,
    RegistrationsClosed,
    UsernameTaken,
    WeakPassword,
)
from webapp.crud.people import (
    follow_counts,
    follower_counts,
    following_ids,
    get_tweet_with_owner,
    people,
    update_profile,
)
from webapp.crud.social import (
    follow,
    is_following,
    like,
    list_liked_tweets,
    list_likes,
    unfollow,
    unlike,
)
from webapp.crud.tags import tag_timeline
from webapp.crud.tweets import (
    create_tweet,
    delete_tweet,
    get_tweet,
    list_tweets,
    list_user_tweets,
)
from webapp.crud.users import (
    create_user,
    get_user,
    get_user_by_username,
    list_users,
    register,
)

__all__ = [
    "AccountUnavailable",
    "AlreadyLiked",
    "BlankTweet",
    "CannotFollowSelf",
    "DomainError",
    "EmailTaken",
    "Forbidden",
    "NotFound",
    "RegistrationsClosed",
    "UsernameTaken",
    "WeakPassword",
    "authenticate",
    "create_token",
    "create_tweet",
    "create_user",
    "delete_tweet",
    "follow",
    "follow_counts",
    "follower_counts",
    "following_ids",
    "get_tweet",
    "get_tweet_with_owner",
    "get_user",
    "get_user_by_username",
    "is_following",
    "like",
    "list_liked_tweets",
    "list_likes",
    "list_tweets",
    "list_user_tweets",
    "list_users",
    "people",
    "register",
    "revoke_token",
    "tag_timeline",
    "unfollow",
    "unlike",
    "update_profile",
    "user_for_token",
]
