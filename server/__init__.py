"""Tavla: a real-time whiteboard for service-design workshops."""
