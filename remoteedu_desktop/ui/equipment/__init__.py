"""Equipment register and fault tickets of the sites (R9): ``EquipmentView`` and ``FaultsView``, shown as tabs
of the activities page."""
