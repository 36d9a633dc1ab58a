// megalodon (npm), the client behind several desktop Fediverse apps, against a live Chirp;
// driven by tests/test_megalodon.py. Env as masto_suite.mjs: CHIRP_URL, ADA_TOKEN,
// BOB_TOKEN, IMAGE. megalodon first tells the server's kind from /.well-known/nodeinfo.
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
let ada, bob;

await step("detect", async () => {
  const sns = await detector(url);
  ada = generator(sns, url, process.env.ADA_TOKEN);
  bob = generator(sns, url, process.env.BOB_TOKEN);
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
  const post = (await ada.postStatus("a picture", { media_ids: [media.id] })).data;
  return {
    type: media.type,
    attached: post.media_attachments.map((m) => m.description),
    url_ok: (await fetch(post.media_attachments[0].url)).status,
  };
});

await step("server", async () => {
  const instance = (await ada.getInstance()).data;
  return {
    version: instance.version,
    max_characters: instance.configuration?.statuses?.max_characters,
    streaming: await ada.streamingURL(),
    emojis: (await ada.getInstanceCustomEmojis()).data,
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
