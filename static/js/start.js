/* Starting a session on the home page: a route belongs to one deck, so choosing a route picks
   its deck, and choosing another deck drops a route of the old one. Without this script the
   server refuses a route of another deck (unknown_route). */
(function () {
  "use strict";
  const deck = document.getElementById("deck");
  const route = document.getElementById("route");
  if (!deck || !route) return;
  route.addEventListener("change", () => {
    const chosen = route.selectedOptions[0];
    if (chosen && chosen.dataset.deck) deck.value = chosen.dataset.deck;
  });
  deck.addEventListener("change", () => {
    const chosen = route.selectedOptions[0];
    if (chosen && chosen.dataset.deck && chosen.dataset.deck !== deck.value) route.value = "";
  });
})();
