"""Who reviews whom (phân công chấm chéo): the generator (``assign``), the services, the
secretariat's table (``queries``), its forms and pages (``campaigns.views.assignments``)."""
