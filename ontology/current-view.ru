# The current view: plain triples derived from the claims.
#
# For each subject and property, the values of its preferred claims if it has
# any, else the values of its normal claims; deprecated claims never reach
# the view.  ipckg runs this update after loading the graph (Oxigraph), on
# the context of a validation (rdflib), and on a remote server after a write.
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX ipc: <https://w3id.org/ipckg/ontology#>

INSERT { ?subject ?property ?value }
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
}
