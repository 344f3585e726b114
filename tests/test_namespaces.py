from ipckg.namespaces import expand, shorten


def test_expand_and_shorten_round_trip():
    assert expand("country:laos") == "https://w3id.org/ipckg/country/laos"
    assert shorten("https://w3id.org/ipckg/country/laos") == "country:laos"
    assert shorten("https://w3id.org/ipckg/ontology#Claim") == "ipc:Claim"


def test_what_cannot_be_a_prefixed_name_stays_an_iri():
    assert expand("https://example.org/x") == "https://example.org/x"
    assert expand("unknown:x") == "unknown:x"
    assert shorten("https://example.org/x") == "https://example.org/x"
    assert shorten("https://w3id.org/ipckg/source/a/b") == "https://w3id.org/ipckg/source/a/b"
