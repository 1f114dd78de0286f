"""Pages of criteria frameworks (bảng tiêu chí): list, editor, nodes, try it, diff, print."""
