"""What a receiving unit takes in from the units below: their return files and packages (read,
checked, stored with the files they carry), hand-typed returns, the review of each received return,
the completeness board, and consolidation of the accepted returns into the unit's own."""
