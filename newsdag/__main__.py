from newsdag.cli import main

main()
