"""Shipped reference data: communes, EPCI, départements, régions, regional plan packs."""
