"""Command line of the study kit: ``python -m helpers.run.cli <command>`` (or ``snr <command>``).

Commands
--------
study          run the whole study for a territory and publish its diagnostic
new-territory  create data/raw/<slug>/ with documented input templates
"""

from __future__ import annotations

import argparse
import os
import re
import sys

#: argparse's own messages (English) as the analyst reads them
_ARGPARSE_FR = (
    (re.compile(r"argument (\S+): expected one argument"), r"une valeur est attendue après \1"),
    (re.compile(r"argument (\S+): invalid int value: (.*)"), r"\1 : nombre entier attendu, trouvé \2"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), r"\1 : \2 n'est pas permis (choix : \3)"),
    (re.compile(r"the following arguments are required: (.*)"), r"arguments obligatoires manquants : \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"arguments inconnus : \1"),
)


class FrenchParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one French line (exit 2, nothing run), never argparse's English."""

    def error(self, message: str):
        for pattern, french in _ARGPARSE_FR:
            if pattern.search(message):
                message = pattern.sub(french, message)
                break
        self.exit(2, f"Paramètres refusés — rien n'a été exécuté : {message} (aide : {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    from helpers.run.pipeline import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_SEED, MIN_DRAWS

    parser = FrenchParser(prog="snr", description="Diagnostic numérique responsable (SNR)")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks (also SNR_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("study", help="run the study for a territory")
    p.add_argument("--territory", default="la-rochelle")
    p.add_argument("--strict", action="store_true",
                   help="types d'équipement inconnus : erreur au lieu de lignes exclues (aussi SNR_STRICT=1)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"graine (entier de 0 à {MAX_SEED})")
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS,
                   help=f"tirages Monte Carlo (de {MIN_DRAWS} à {MAX_DRAWS}; checked before anything runs)")
    p.add_argument("--previous", default="",
                   help="dossier publié de l'étude de l'an dernier, pour le suivi annuel (par ex. outputs/la-rochelle)")
    p = sub.add_parser("new-territory", help="create data/raw/<slug>/ with input templates")
    p.add_argument("slug")
    p.add_argument("--files", default="",
                   help="modèles de fichiers facultatifs à créer, séparés par des virgules (hosting,telecom…) ou all ; "
                        "sur un dossier existant, ajoute ceux qui manquent sans rien écraser")
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("SNR_DEBUG") == "1"
    if debug:
        os.environ["SNR_DEBUG"] = "1"  # also read by the pipeline (kernels' own logs)
    if getattr(args, "strict", False):
        os.environ["SNR_STRICT"] = "1"  # read by helpers.io.inventory in the kernels (papermill passes fixed parameters)
    try:
        if args.command == "study":
            from helpers.run.pipeline import main_study

            return main_study(args.territory, args.seed, args.draws, args.previous or None)
        if args.command == "new-territory":
            from helpers.io import paths
            from helpers.run.scaffold import new_territory

            existed = paths.raw_dir(args.slug).exists()
            folder = new_territory(args.slug, [f for f in args.files.split(",") if f.strip()])
            if existed:
                print(f"Modèles ajoutés dans {folder}/ : {args.files}")
                return 0
            print(f"Dossier {folder}/ créé. Étapes (détail dans son README.md) :\n"
                  f"  1. remplissez les champs « À REMPLIR » de {folder}/territory.yaml ;\n"
                  f"  2. copiez l'export de votre outil de parc, tel quel, dans {folder}/inventory/ "
                  "(ou remplissez inventory.csv) ;\n"
                  f"  3. lancez : make study TERRITORY={args.slug}")
            return 0
    except Exception as exc:  # last-resort: a clear one-line message, the traceback only on request
        from helpers.io.errors import InputError

        if debug:
            raise
        if isinstance(exc, InputError):
            print(f"Erreur dans les entrées :\n{exc}", file=sys.stderr)
            return 2
        print(f"Erreur : {type(exc).__name__} : {exc}\n(relancez avec --debug ou SNR_DEBUG=1 pour voir la trace Python)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
