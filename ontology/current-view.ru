# The current view: plain triples derived from the claims.
#
# For each subject and property, the values of its preferred claims if it has
# any, else the values of its normal claims; deprecated claims never reach
# the view.  The view goes into its own named graph, apart from the asserted
# triples of the files (the default graph), so that a query can tell the two
# apart with GRAPH <https://w3id.org/ipckg/graph/current-view>; ipckg's
# queries read the union of both.  A triple the files also assert is left out
# of the view graph, so the union holds it once.  ipckg runs this update
# after loading the graph (Oxigraph) and on the context of a validation
# (rdflib); a remote write sends the view it computes that way.
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX ipc: <https://w3id.org/ipckg/ontology#>

INSERT { GRAPH <https://w3id.org/ipckg/graph/current-view> { ?subject ?property ?value } }
WHERE {
  ?claim a ipc:Claim ;
         rdf:subject ?subject ;
         rdf:predicate ?property ;
         rdf:object ?value ;
         ipc:rank ?rank .
  # One lookup of the pairs that have a preferred claim, rather than a NOT
  # EXISTS per claim: linear instead of quadratic in the number of claims.
  OPTIONAL {
    SELECT DISTINCT ?subject ?property (true AS ?preferredExists)
    WHERE { ?preferred a ipc:Claim ;
                       rdf:subject ?subject ;
                       rdf:predicate ?property ;
                       ipc:rank ipc:PreferredRank . }
  }
  FILTER (?rank = ipc:PreferredRank || (?rank = ipc:NormalRank && !BOUND(?preferredExists)))
} ;

DELETE { GRAPH <https://w3id.org/ipckg/graph/current-view> { ?subject ?property ?value } }
WHERE {
  GRAPH <https://w3id.org/ipckg/graph/current-view> { ?subject ?property ?value }
  ?subject ?property ?value .
}
