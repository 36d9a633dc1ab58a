"""The HTML side: pages, forms and htmx fragments over the same crud layer as the JSON API."""

from fastapi import APIRouter

from webapp.web import accounts, actions, pages

router = APIRouter()
router.include_router(accounts.router)
router.include_router(pages.router)
router.include_router(actions.router)
