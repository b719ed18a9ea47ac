// paperwire discussion: post, reply, edit and delete without a reload. Every form works
// without this file; here each is sent with fetch and the server's HTML for the comment
// is put in place.
"use strict";

function discussionFormError(form, message) {
  let box = form.querySelector(".form-error");
  if (!box) {
    box = document.createElement("p");
    box.className = "form-error";
    box.setAttribute("role", "alert");
    form.appendChild(box);
  }
  box.textContent = message;
  box.hidden = false;
}

function placeComment(form, result) {
  const holder = document.createElement("template");
  holder.innerHTML = result.fragment.trim();
  const item = holder.content.firstElementChild;
  const existing = document.getElementById("comment-" + result.id);
  const wasCounted = existing !== null && !existing.classList.contains("tombstone");
  if (existing) {
    existing.replaceWith(item);
  } else {
    const parent = form.closest("li.comment");
    const list = document.getElementById("comments");
    if (parent) {
      let after = parent;
      while (after.nextElementSibling && after.nextElementSibling.classList.contains("reply")) {
        after = after.nextElementSibling;
      }
      after.after(item);
    } else {
      list.appendChild(item);
    }
  }
  item.querySelectorAll("form").forEach(enhanceDiscussionForm);
  // The heading counts comments posted here that everyone can read: a new one adds one,
  // a deletion (its tombstone) takes one away.
  const count = document.querySelector("#discussion-title .count");
  const change = !existing ? 1 : wasCounted && item.classList.contains("tombstone") ? -1 : 0;
  if (count && change) {
    const before = parseInt(count.textContent.replace(/[^0-9]/g, ""), 10) || 0;
    count.textContent = "(" + Math.max(0, before + change) + " here)";
  }
  return item;
}

function enhanceDiscussionForm(form) {
  if (form.dataset.enhanced) {
    return;
  }
  form.dataset.enhanced = "1";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
    }
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (!response.ok) {
        discussionFormError(form, result.error || "That did not work.");
        return;
      }
      if (result.fragment) {
        const item = placeComment(form, result);
        const text = form.querySelector("textarea");
        if (text && !form.action.endsWith("/edit")) {
          text.value = "";
        }
        const details = form.querySelector("details");
        if (details) {
          details.open = false;
        }
        item.scrollIntoView({ block: "nearest" });
      } else if (result.reported) {
        discussionFormError(form, "Reported: thank you.");
      }
    } catch (error) {
      form.submit();
    } finally {
      if (button) {
        button.disabled = false;
      }
    }
  });
}

document
  .querySelectorAll("#discussion form.comment-form, #discussion form.reply-form,"
    + " #discussion form.delete-comment, #discussion form.report-comment")
  .forEach(enhanceDiscussionForm);
