"""Everything only the HTML book needs, installed with the ``book`` extra.

It owns the per-chapter views that notebooks call (:mod:`.views`), the table
rendering (:mod:`.render`), the Altair charts and their offline renderer
(:mod:`.figures`, :mod:`.altair_offline`), the provenance registry of each
table and figure (:mod:`.provenance`), the Sphinx extension that vendors the
Vega and MathJax assets (:mod:`.offline_assets`) and the notebook runner
(:mod:`.notebooks`). It sits at the top of the import graph: nothing in the
package imports it, and it needs altair, myst-nb and nbclient, which the core
install does not bring.
"""
