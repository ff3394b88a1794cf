// A team's private view of the page: a read key kept in sessionStorage (never in a URL, gone when
// the tab closes). With a key, the page fetches itself again with `Authorization: Bearer <key>` and
// shows the server's answer for that team (its private tracks and its runs' `?run=` view).
const STORAGE = "frontier.readKey";

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE);
  } catch {
    return null;
  }
}

/** Adds the "team key" control; `onKeyed` runs after the team's view replaced the page body. */
export async function teamView(onKeyed: () => void): Promise<void> {
  const key = storedKey();
  const control = document.createElement("button");
  control.type = "button";
  control.className = "team-key";
  control.textContent = key ? "Forget team key" : "Team key…";
  control.addEventListener("click", () => {
    if (storedKey()) sessionStorage.removeItem(STORAGE);
    else {
      const entered = window.prompt("A read key of your team (kept in this tab only):")?.trim();
      if (!entered) return;
      sessionStorage.setItem(STORAGE, entered);
    }
    location.reload();
  });
  if (!key) {
    document.querySelector("form.filters")?.append(control);
    return;
  }
  const response = await fetch(location.href, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) {
    document.querySelector("form.filters")?.append(control);
    return;
  }
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  document.body.replaceWith(document.adoptNode(doc.body));
  document.querySelector("form.filters")?.append(control);
  onKeyed();
}
