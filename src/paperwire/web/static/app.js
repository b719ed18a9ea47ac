// paperwire: progressive enhancement only; every feature works without this file.
"use strict";

// Upvote without a reload: send the same form, then show the count the server returns.
function enhanceUpvote(form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    const choice = form.querySelector("input[name=vote]");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        form.submit();  // let the server answer with a page (log in, error)
        return;
      }
      const result = await response.json();
      form.querySelectorAll(".count").forEach((el) => { el.textContent = String(result.upvotes); });
      button.setAttribute("aria-pressed", result.voted ? "true" : "false");
      button.title = result.voted ? "Take back your upvote" : "Upvote";
      choice.value = result.voted ? "down" : "up";
    } catch (error) {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
}

// Copy a block of text (the BibTeX) to the clipboard.
function enhanceCopy(button) {
  const source = document.querySelector(button.dataset.copy);
  if (!source || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(source.textContent);
      button.textContent = "Copied!";
    } catch (error) {
      button.textContent = "Select the text to copy it";
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
}

document.querySelectorAll("form.upvote").forEach(enhanceUpvote);
document.querySelectorAll("button[data-copy]").forEach(enhanceCopy);
