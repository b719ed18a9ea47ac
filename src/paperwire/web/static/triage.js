// paperwire: save, "not interested" and "seen" in place, and the keys of "For you".
// Progressive enhancement only: without this file every control is a form that
// posts and comes back to the page.
"use strict";

// The line that announces each result (role=status); "For you" has a visible one.
function statusLine() {
  let line = document.getElementById("triage-status");
  if (!line) {
    line = document.createElement("p");
    line.id = "triage-status";
    line.className = "visually-hidden";
    line.setAttribute("role", "status");
    (document.querySelector("main") || document.body).append(line);
  }
  return line;
}

const triageStatus = statusLine();

function announce(message) {
  // Emptied first, so that the same sentence twice is read out twice.
  triageStatus.textContent = "";
  window.setTimeout(() => { triageStatus.textContent = message; }, 50);
}

// Send a triage form with fetch, then put the controls the server returns in its place.
async function sendTriage(form) {
  const box = form.closest(".triage");
  const hadFocus = box.contains(document.activeElement);
  const key = form.dataset.key || "";
  const action = form.getAttribute("action");
  const body = new FormData(form);
  box.querySelectorAll("button").forEach((button) => { button.disabled = true; });
  let result;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRF-Token": String(body.get("csrf_token")) },
      credentials: "same-origin",
    });
    if (!response.ok) {
      form.submit();  // the server answers with a page (log in, an error)
      return;
    }
    result = await response.json();
  } catch (error) {
    form.submit();
    return;
  }
  const template = document.createElement("template");
  template.innerHTML = result.html;
  const fresh = template.content.firstElementChild;
  box.replaceWith(fresh);
  announce(result.message);
  if (hadFocus) {
    // Keep the keyboard where it was: on the control that now takes the action back.
    const same = key ? fresh.querySelector(`form[data-key="${key}"] button`) : null;
    const undo = fresh.querySelector(`form:not([action="${action}"]) button`);
    (same || undo || fresh.querySelector("button")).focus();
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.closest(".triage")) {
    event.preventDefault();
    sendTriage(form);
  }
});

// j and k move between the papers of a list marked data-triage-keys, s saves (or
// takes the save back), x marks not interested (or takes it back), o opens the paper.
function enhanceKeys(list) {
  const help = document.getElementById("triage-keys");
  if (help) {
    help.hidden = false;
  }
  const items = () => Array.from(list.querySelectorAll("li.paper"));
  const current = () => {
    const active = document.activeElement;
    return active && list.contains(active) ? active.closest("li.paper") : null;
  };
  const move = (step) => {
    const all = items();
    if (all.length === 0) {
      return;
    }
    const at = all.indexOf(current());
    const next = at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    all[next].tabIndex = -1;
    all[next].focus();
    all[next].scrollIntoView({ block: "nearest" });
  };
  const act = (key) => {
    const item = current();
    const form = item ? item.querySelector(`.triage form[data-key="${key}"]`) : null;
    if (form) {
      form.requestSubmit();
    }
  };
  const open = () => {
    const item = current();
    const link = item ? item.querySelector(".title a") : null;
    if (link) {
      window.location.assign(link.href);
    }
  };
  const keys = new Map([
    ["j", () => move(1)],
    ["k", () => move(-1)],
    ["s", () => act("s")],
    ["x", () => act("x")],
    ["o", open],
  ]);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement &&
      (target.isContentEditable || target.closest("input, textarea, select") !== null);
    const run = keys.get(event.key);
    if (!run || typing || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    run();
  });
}

document.querySelectorAll("[data-triage-keys]").forEach(enhanceKeys);
