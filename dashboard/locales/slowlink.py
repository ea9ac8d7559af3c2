"""Strings of the maps shown on request (issue #14 item 15: the map library is loaded only then)."""
STRINGS = {
    "lazymap.show": {"fr": "Afficher la carte", "en": "Show the map"},
    "lazymap.help": {
        "fr": "La carte (environ 1 Mo à télécharger la première fois) ne se charge que si vous "
              "l'affichez ; ce choix vaut pour toutes les cartes jusqu'à la déconnexion.",
        "en": "The map (about 1 MB to download the first time) loads only when you show it; the "
              "choice holds for every map until you sign out.",
    },
}
