"""Reports: the SKM/IKM report, charts, views, exports, their store, the #ringkasan chat and the dashboard."""
