"""FHIR R4 over the people and organisations (Practitioner, PractitionerRole, Organization),
read and searched through the scope module."""
