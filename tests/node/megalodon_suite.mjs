// megalodon (npm), the client behind several desktop Fediverse apps, against a live Chirp;
// driven by tests/test_megalodon.py. Env as masto_suite.mjs: CHIRP_URL, ADA_TOKEN,
// BOB_TOKEN, CY_TOKEN, IMAGE, EXPIRED_POLL. megalodon first tells the server's kind from /.well-known/nodeinfo.
import { createReadStream } from "node:fs";
import megalodon from "megalodon";

const { default: generator, detector } = megalodon;
const url = process.env.CHIRP_URL;
const out = {};

async function step(name, run) {
  const started = Date.now();
  try {
    out[name] = await run();
  } catch (error) {
    const body = error.response?.data ? ` ${JSON.stringify(error.response.data)}` : "";
    out[name] = { error: `${error.name}: ${error.message}${body}` };
  }
  if (process.env.TIMINGS) console.error(name, Date.now() - started);
}

const texts = (statuses) => statuses.map((s) => s.content);
// What an app renders for a row of a timeline: a reblog shows the original's text.
const shown = (statuses) => statuses.map((s) => (s.reblog ?? s).content);
let ada, bob, cy;

await step("detect", async () => {
  const sns = await detector(url);
  ada = generator(sns, url, process.env.ADA_TOKEN);
  bob = generator(sns, url, process.env.BOB_TOKEN);
  cy = generator(sns, url, process.env.CY_TOKEN);
  return sns;
});

await step("verify", async () => {
  const me = (await ada.verifyAccountCredentials()).data;
  return { acct: me.acct, id: me.id };
});

await step("follow_by_name", async () => {
  const searched = (await ada.search("@bob", { type: "accounts" })).data;
  const looked = (await ada.lookupAccount("bob")).data;
  const followed = (await ada.followAccount(looked.id)).data;
  const [after] = (await ada.getRelationships([looked.id])).data;
  return {
    searched: searched.accounts.map((a) => a.acct),
    looked_up: looked.acct,
    following: followed.following,
    relationship_following: after.following,
    bob_id: looked.id,
  };
});
const bobId = out.follow_by_name.bob_id;

await step("timelines", async () => ({
  home: texts((await ada.getHomeTimeline({ limit: 10 })).data),
  public: texts((await ada.getPublicTimeline({ limit: 10 })).data),
  tag: texts((await ada.getTagTimeline("jsclients")).data),
}));

let bobPost;
await step("post_reply_reblog_favourite", async () => {
  [bobPost] = (await ada.getAccountStatuses(bobId, { limit: 1 })).data;
  const mine = (await ada.postStatus("hello from megalodon #megalodon")).data;
  const reply = (await ada.postStatus("@bob nice one", { in_reply_to_id: bobPost.id })).data;
  const reblog = (await ada.reblogStatus(bobPost.id)).data;
  const liked = (await ada.favouriteStatus(bobPost.id)).data;
  const context = (await ada.getStatusContext(bobPost.id)).data;
  return {
    mine: { id: mine.id, content: mine.content, tags: mine.tags.map((t) => t.name) },
    reply_to: reply.in_reply_to_id,
    reply_id: reply.id,
    reblogged: reblog.reblogged ?? reblog.reblog?.reblogged,
    reblogs_count: reblog.reblog?.reblogs_count,
    favourited: liked.favourited,
    favourites_count: liked.favourites_count,
    descendants: context.descendants.map((s) => s.id),
  };
});

await step("search", async () => {
  const accounts = (await ada.search("@bob", { type: "accounts" })).data;
  const statuses = (await ada.search("jsclients", { type: "statuses" })).data;
  const tags = (await ada.search("#jsclients", { type: "hashtags" })).data;
  return {
    accounts: accounts.accounts.map((a) => a.acct),
    statuses: texts(statuses.statuses),
    hashtags: tags.hashtags.map((t) => t.name),
  };
});

await step("lists", async () => {
  const list = (await ada.createList("Friends")).data;
  await ada.addAccountsToList(list.id, [bobId]);
  return {
    titles: (await ada.getLists()).data.map((l) => l.title),
    members: (await ada.getAccountsInList(list.id)).data.map((a) => a.acct),
    timeline: texts((await ada.getListTimeline(list.id)).data),
  };
});

await step("media", async () => {
  const media = (await ada.uploadMedia(createReadStream(process.env.IMAGE), {
    description: "a teal square",
  })).data;
  const post = (await ada.postStatus("a picture #megalodon", { media_ids: [media.id] })).data;
  return {
    type: media.type,
    attached: post.media_attachments.map((m) => m.description),
    url_ok: (await fetch(post.media_attachments[0].url)).status,
  };
});

await step("server", async () => {
  const instance = (await ada.getInstance()).data;
  // megalodon has no call for the v2 instance: its own HTTP client (with the token) asks.
  const v2 = (await ada.client.get("/api/v2/instance")).data;
  return {
    version: instance.version,
    v2_version: v2.version,
    api_versions: v2.api_versions,
    max_characters: instance.configuration?.statuses?.max_characters,
    streaming: await ada.streamingURL(),
    emojis: (await ada.getInstanceCustomEmojis()).data,
    announcements: (await ada.getInstanceAnnouncements()).data,
    preferences: (await ada.getPreferences()).data,
  };
});

await step("notifications", async () => {
  const mine = out.post_reply_reblog_favourite.mine.id;
  await bob.favouriteStatus(mine);
  await bob.followAccount(out.verify.id);
  const listed = (await ada.getNotifications()).data;
  const one = (await ada.getNotification(listed[0].id)).data;
  await ada.dismissNotification(listed[0].id);
  const after = (await ada.getNotifications()).data;
  return {
    listed: listed.map((n) => [n.type, n.account.acct]),
    one: [one.type, one.account.acct],
    after_dismiss: after.map((n) => n.type),
    newest: after[0]?.id,
  };
});

await step("markers", async () => {
  const newest = out.notifications.newest ?? "1";
  await ada.saveMarkers({ notifications: { last_read_id: newest } });
  const markers = (await ada.getMarkers(["home", "notifications"])).data;
  return { notifications: markers.notifications?.last_read_id, newest };
});

await step("streaming", async () => {
  const stream = await ada.userStreaming();
  let timer;
  const heard = new Promise((resolve, reject) => {
    stream.on("notification", (n) => resolve([n.type, n.account.acct]));
    stream.on("error", reject);
    timer = setTimeout(() => reject(new Error("no notification within 10 s")), 10000);
  });
  await new Promise((resolve) => stream.on("connect", resolve));
  await bob.reblogStatus(out.post_reply_reblog_favourite.mine.id);
  try {
    return await heard;
  } finally {
    clearTimeout(timer);
    stream.stop();
  }
});

await step("delete", async () => {
  const doomed = (await ada.postStatus("soon gone")).data;
  await ada.deleteStatus(doomed.id);
  let status = 200;
  try {
    await ada.getStatus(doomed.id);
  } catch (error) {
    status = error.response?.status;
  }
  return { fetched_after: status };
});

// A failed call's HTTP status and Mastodon error, as an app would show it.
const refusal = (error) => [error.response?.status, error.response?.data?.error];

await step("timeline_kinds", async () => {
  // Every tab an app shows; Chirp does not federate, so "local" is the whole public timeline.
  const [list] = (await ada.getLists()).data;
  return {
    home: (await ada.getHomeTimeline({ limit: 10 })).data.length,
    public: (await ada.getPublicTimeline({ limit: 10 })).data.length,
    local: (await ada.getLocalTimeline({ limit: 10 })).data.length,
    only_media: texts((await ada.getPublicTimeline({ only_media: true })).data),
    local_media: texts((await ada.getLocalTimeline({ only_media: true })).data),
    tag: texts((await ada.getTagTimeline("megalodon")).data),
    tag_media: texts((await ada.getTagTimeline("megalodon", { only_media: true })).data),
    list: texts((await ada.getListTimeline(list.id)).data),
  };
});

await step("spoiler_sensitive_and_idempotency", async () => {
  // postStatus sends no Idempotency-Key: a retrying app sends it through megalodon's client.
  const key = { "Idempotency-Key": `megalodon-${Date.now()}` };
  const params = { status: "the butler did it", spoiler_text: "film ending", sensitive: true };
  const posted = (await ada.client.post("/api/v1/statuses", params, key)).data;
  const again = (await ada.client.post("/api/v1/statuses", params, key)).data;
  const plain = (await ada.postStatus("no warning here", {})).data;
  await ada.deleteStatus(plain.id);
  const bobHome = (await bob.getHomeTimeline({ limit: 5 })).data;
  const [first] = (await ada.getHomeTimeline({ limit: 1 })).data;
  return {
    same_id: again.id === posted.id,
    posted: [posted.spoiler_text, posted.sensitive],
    plain: [plain.spoiler_text, plain.sensitive],
    home: [first.id === posted.id, first.spoiler_text, first.sensitive, first.content],
    bob_sees: bobHome.some((s) => s.id === posted.id),
  };
});

await step("filters", async () => {
  // megalodon speaks the v1 filters (one phrase each); its Status drops `filtered`, so the
  // app filters by phrase itself, and a server-side "irreversible" filter hides the post.
  const created = (await ada.createFilter("jsclients", ["home", "public"], {
    whole_word: true,
  })).data;
  const listed = (await ada.getFilters()).data;
  const one = (await ada.getFilter(created.id)).data;
  const updated = (await ada.updateFilter(created.id, "writes", ["home"], {
    irreversible: true,
    whole_word: true,
  })).data;
  const hidden = shown((await ada.getHomeTimeline({ limit: 20 })).data);
  await ada.deleteFilter(created.id);
  const gone = await ada.getFilter(created.id).catch(refusal);
  const after = shown((await ada.getHomeTimeline({ limit: 20 })).data);
  return {
    created: [created.phrase, created.context, created.whole_word, created.irreversible],
    listed: listed.map((f) => f.phrase),
    one: one.id === created.id,
    updated: [updated.id === created.id, updated.phrase, updated.context, updated.irreversible],
    hidden_shows_bob: hidden.some((c) => c.includes("bob writes")),
    after_delete: (await ada.getFilters()).data.length,
    gone,
    shown_after: after.some((c) => c.includes("bob writes")),
  };
});

await step("bookmarks_and_favourites", async () => {
  const marked = (await ada.bookmarkStatus(bobPost.id)).data;
  const bookmarks = texts((await ada.getBookmarks()).data);
  const fetched = (await ada.getStatus(bobPost.id)).data;
  const favourites = texts((await ada.getFavourites()).data);
  const unmarked = (await ada.unbookmarkStatus(bobPost.id)).data;
  return {
    bookmarked: marked.bookmarked,
    bookmarks,
    fetched_bookmarked: fetched.bookmarked,
    favourites,
    unbookmarked: unmarked.bookmarked,
    bookmarks_after: (await ada.getBookmarks()).data.length,
  };
});

await step("pins", async () => {
  const mine = out.post_reply_reblog_favourite.mine.id;
  const pinned = (await ada.pinStatus(mine)).data;
  const listed = (await bob.getAccountStatuses(out.verify.id, { pinned: true })).data;
  const unpinned = (await ada.unpinStatus(mine)).data;
  const after = (await ada.getAccountStatuses(out.verify.id, { pinned: true })).data;
  return {
    pinned: pinned.pinned,
    listed: listed.map((s) => s.id === mine),
    unpinned: unpinned.pinned,
    listed_after: after.length,
  };
});

await step("edits", async () => {
  const draft = (await ada.postStatus("first draft")).data;
  const edited = (await ada.editStatus(draft.id, {
    status: "second draft #edited",
    spoiler_text: "revised",
    sensitive: true,
  })).data;
  const source = (await ada.getStatusSource(draft.id)).data;
  const seen = (await bob.getStatus(draft.id)).data;
  return {
    before_edit: draft.edited_at,
    content: edited.content,
    spoiler: [edited.spoiler_text, edited.sensitive],
    edited: typeof edited.edited_at === "string" && edited.edited_at >= edited.created_at,
    source: [source.id === draft.id, source.text, source.spoiler_text],
    seen_by_bob: [seen.content, seen.spoiler_text, seen.edited_at === edited.edited_at],
  };
});

await step("polls", async () => {
  const posted = (await ada.postStatus("tea or coffee?", {
    poll: { options: ["tea", "coffee", "water"], expires_in: 3600 },
  })).data;
  const poll = posted.poll;
  const voted = (await bob.votePoll(poll.id, [1])).data;
  const again = await bob.votePoll(poll.id, [0]).catch(refusal);
  const seen = (await ada.getPoll(poll.id)).data;
  const expired = (await bob.getPoll(process.env.EXPIRED_POLL)).data;
  const late = await bob.votePoll(process.env.EXPIRED_POLL, [0]).catch(refusal);
  return {
    created: [poll.options.map((o) => o.title), poll.expired, poll.votes_count, poll.voted],
    voted: [voted.voted, voted.own_votes, voted.votes_count],
    options: voted.options.map((o) => [o.title, o.votes_count]),
    again,
    seen_by_author: [seen.votes_count, seen.voted],
    expired: [expired.expired, expired.voted],
    late,
  };
});

await step("conversations", async () => {
  const sent = (await ada.postStatus("@bob just between us", { visibility: "direct" })).data;
  const bobs = (await bob.getConversationTimeline()).data;
  const read = (await bob.readConversation(bobs[0].id)).data;
  const [mine] = (await ada.getConversationTimeline()).data;
  const publicTexts = texts((await bob.getPublicTimeline({ limit: 40 })).data);
  return {
    visibility: sent.visibility,
    bob_sees: bobs.map((c) => [c.accounts.map((a) => a.acct), c.last_status?.id === sent.id, c.unread]),
    read: read.unread,
    ada_sees: [mine.accounts.map((a) => a.acct), mine.last_status?.content, mine.unread],
    in_public: publicTexts.some((c) => c.includes("just between us")),
  };
});

await step("follow_requests", async () => {
  const locked = (await cy.updateCredentials({ locked: true })).data;
  const asked = (await ada.followAccount(locked.id)).data;
  const requests = (await cy.getFollowRequests()).data;
  const accepted = (await cy.acceptFollowRequest(out.verify.id)).data;
  const after = (await ada.getRelationship(locked.id)).data;
  return {
    locked: locked.locked,
    asked: [asked.following, asked.requested],
    requests: requests.map((a) => a.acct),
    accepted: accepted.followed_by,
    after: [after.following, after.requested],
    requests_after: (await cy.getFollowRequests()).data.length,
  };
});

await step("undo", async () => {
  const unreblogged = (await ada.unreblogStatus(bobPost.id)).data;
  const unliked = (await ada.unfavouriteStatus(bobPost.id)).data;
  const unfollowed = (await ada.unfollowAccount(bobId)).data;
  return {
    reblogs_count: unreblogged.reblogs_count,
    favourites_count: unliked.favourites_count,
    following: unfollowed.following,
  };
});

console.log(JSON.stringify(out));
process.exit(0); // a closed stream's reconnect timer or a kept-alive socket must not linger
