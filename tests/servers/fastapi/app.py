"""A small FastAPI application, written the way FastAPI users write them.

The tests generate a client from the OpenAPI document it publishes
(`GET /openapi.json`, checked in as tests/fixtures/fastapi.json) and call
it: FastAPI validates every request against its own models and security
dependencies, so a call that succeeds was right on the wire.

A route that needs two security dependencies at once is left out: FastAPI
publishes them as alternatives (`[{A: []}, {B: []}]`) although it needs
both, and a client that follows the document sends only the first.
"""

from typing import Annotated, Optional

from fastapi import (
    Cookie,
    Depends,
    FastAPI,
    Form,
    HTTPException,
    Query,
    Request,
    Security,
    UploadFile,
)
from fastapi.responses import PlainTextResponse
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)
from pydantic import BaseModel, Field

app = FastAPI(title="Pet Shelter", version="1.0.0")

header_key = APIKeyHeader(name="X-API-Key")
query_key = APIKeyQuery(name="api_key")
session_cookie = APIKeyCookie(name="session")
basic = HTTPBasic()
bearer = HTTPBearer()

HEADER_KEY = "header-key-value"
QUERY_KEY = "query key&value="
SESSION = "session-cookie-value"
USER, PASSWORD = "keeper", "pass:word"
TOKEN = "bearer-token-value"


def check(given: str, expected: str, what: str) -> None:
    if given != expected:
        raise HTTPException(status_code=401, detail=f"wrong {what}")


def by_header(key: Annotated[str, Security(header_key)]) -> None:
    check(key, HEADER_KEY, "header key")


def by_query(key: Annotated[str, Security(query_key)]) -> None:
    check(key, QUERY_KEY, "query key")


def by_cookie(session: Annotated[str, Security(session_cookie)]) -> None:
    check(session, SESSION, "session")


def by_basic(login: Annotated[HTTPBasicCredentials, Security(basic)]) -> str:
    check(login.username, USER, "user")
    check(login.password, PASSWORD, "password")
    return login.username


def by_bearer(token: Annotated[HTTPAuthorizationCredentials, Security(bearer)]) -> None:
    check(token.credentials, TOKEN, "token")


class Message(BaseModel):
    detail: str


class PetCreate(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    tag: Optional[str] = None
    age: int = Field(ge=0, le=30.0)


class Pet(BaseModel):
    id: int
    name: str
    tag: Optional[str] = None
    age: int


class Received(BaseModel):
    """The credentials a request carried, by where they travel."""

    authorization: bool
    api_key_header: bool
    api_key_query: bool
    cookies: list[str]


PETS: dict[int, Pet] = {1: Pet(id=1, name="Rex", tag=None, age=3)}


@app.get("/health", response_model=Received)
def health(request: Request) -> Received:
    """Public: says which credentials it received, which should be none."""
    return Received(
        authorization="authorization" in request.headers,
        api_key_header="x-api-key" in request.headers,
        api_key_query="api_key" in request.query_params,
        cookies=sorted(request.cookies),
    )


@app.get(
    "/pets/{pet_id}",
    response_model=Pet,
    responses={404: {"model": Message}},
    dependencies=[Depends(by_header)],
)
def get_pet(pet_id: int) -> Pet:
    if pet_id not in PETS:
        raise HTTPException(status_code=404, detail=f"no pet {pet_id}")
    return PETS[pet_id]


@app.get("/pets", response_model=list[Pet], dependencies=[Depends(by_query)])
def list_pets(limit: Annotated[int, Query(ge=1, le=11.0)] = 10) -> list[Pet]:
    return list(PETS.values())[:limit]


@app.post(
    "/pets",
    response_model=Pet,
    status_code=201,
    dependencies=[Depends(by_cookie)],
)
def create_pet(pet: PetCreate) -> Pet:
    created = Pet(id=max(PETS) + 1, **pet.model_dump())
    PETS[created.id] = created
    return created


@app.get("/keeper", response_model=Message)
def keeper(user: Annotated[str, Depends(by_basic)]) -> Message:
    return Message(detail=f"hello {user}")


@app.get("/token", response_model=Message, dependencies=[Depends(by_bearer)])
def token() -> Message:
    return Message(detail="token accepted")


@app.get("/pets/{pet_id}/card", response_class=PlainTextResponse)
def pet_card(pet_id: int, latin1: bool = False) -> PlainTextResponse:
    """A pet's name card as plain text, in Latin-1 when asked."""
    pet = PETS.get(pet_id)
    if pet is None:
        raise HTTPException(status_code=404, detail=f"no pet {pet_id}")
    card = f"{pet.name} \u2013 {pet.age} years, caf\u00e9 regular"
    if latin1:
        card = card.replace("\u2013", "-")
        return PlainTextResponse(card.encode("latin-1"), media_type="text/plain; charset=iso-8859-1")
    return PlainTextResponse(card)


class Preferences(BaseModel):
    theme: Optional[str] = None
    visits: int


@app.get(
    "/preferences",
    response_model=Preferences,
    dependencies=[Depends(by_cookie)],
)
def preferences(
    visits: Annotated[int, Cookie(ge=0)],
    theme: Annotated[Optional[str], Cookie()] = None,
) -> Preferences:
    """Reads two cookie parameters beside the session cookie."""
    return Preferences(theme=theme, visits=visits)


class Survey(BaseModel):
    topics: list[str]
    comment: Optional[str] = None


@app.post("/survey", response_model=Survey)
def survey(
    topics: Annotated[list[str], Form()],
    comment: Annotated[Optional[str], Form()] = None,
) -> Survey:
    """A form whose list field is one pair per item."""
    return Survey(topics=topics, comment=comment)


class Stored(BaseModel):
    filename: Optional[str]
    content_type: Optional[str]
    size: int
    note: Optional[str] = None
    tags: list[str]


@app.post("/records", response_model=Stored)
async def store_record(
    file: UploadFile,
    note: Annotated[Optional[str], Form()] = None,
    tags: Annotated[list[str], Form()] = [],
) -> Stored:
    """A multipart upload: a file, an optional text field and a list."""
    content = await file.read()
    return Stored(
        filename=file.filename,
        content_type=file.content_type,
        size=len(content),
        note=note,
        tags=tags,
    )


class Keeper(BaseModel):
    """A keeper account: the server assigns `id`; `password` is never returned."""

    id: Annotated[int, Field(json_schema_extra={"readOnly": True})] = 0
    name: str
    password: Annotated[str, Field(min_length=8, json_schema_extra={"writeOnly": True})]


KEEPERS: dict[int, Keeper] = {}


@app.post(
    "/keepers",
    response_model=Keeper,
    response_model_exclude={"password"},
    status_code=201,
)
def create_keeper(keeper: Keeper, request: Request) -> Keeper:
    """Creates a keeper. A client that sends `id`, which is the server's, is refused."""
    if "id" in keeper.model_fields_set:
        raise HTTPException(status_code=400, detail="id is read-only")
    created = keeper.model_copy(update={"id": len(KEEPERS) + 1})
    KEEPERS[created.id] = created
    return created


@app.get(
    "/keepers/{keeper_id}",
    response_model=Keeper,
    response_model_exclude={"password"},
)
def get_keeper(keeper_id: int) -> Keeper:
    if keeper_id not in KEEPERS:
        raise HTTPException(status_code=404, detail=f"no keeper {keeper_id}")
    return KEEPERS[keeper_id]


class PetPatch(BaseModel):
    """Fields to change: a field left out keeps its value, `null` clears it."""

    name: Optional[str] = None
    tag: Optional[str] = None


@app.patch("/pets/{pet_id}", response_model=Pet, dependencies=[Depends(by_header)])
def patch_pet(pet_id: int, patch: PetPatch) -> Pet:
    if pet_id not in PETS:
        raise HTTPException(status_code=404, detail=f"no pet {pet_id}")
    changes = patch.model_dump(exclude_unset=True)
    if changes.get("name", "") is None:
        raise HTTPException(status_code=422, detail="a pet keeps its name")
    PETS[pet_id] = PETS[pet_id].model_copy(update=changes)
    return PETS[pet_id]
