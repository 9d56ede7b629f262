"""Plans (Kế hoạch CCHC) and their tasks: storing a plan, reading a plan table from Excel, the free
"Thời gian thực hiện" text, status rules, progress per period and its evidence, and the task lists
and overview the screens show."""
