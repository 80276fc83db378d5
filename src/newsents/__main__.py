from newsents.cli import main

main()
